insert into ge_policy_raw (id, crawl_url, crawl_time, index_number, title, release_office, release_number, policy_basis, wiritten_time, release_time, effect_time, content, image_url, status, html, remark) values (45, 'http://www.gov.cn/zhengce/content/2018-12/03/content_5345407.htm', '2019-02-17 15:35:01', '000014349/1996-00073', '国务院、中央军委关于同意武警总部后勤部机关等迁址新建的批复', '国务院、中央军委', '国函〔1996〕95号', null, '1996-12-05 15:35:01', '2019-01-03 15:35:01', null, '<tbody> 
 <tr> 
  <td class="b12c" id="UCAP-CONTENT"><p style="margin-top: 0px; margin-bottom: 0px; text-align: center; font-family: 宋体;"><span style="font-weight: bold; font-size: 18pt;">国务院、中央军委关于同意武警总部</span></p> <p style="margin-top: 0px; margin-bottom: 0px; text-align: center; font-family: 宋体;"><span style="font-weight: bold; font-size: 18pt;">后勤部机关等迁址新建的批复</span></p> <p style="margin-top: 0px; margin-bottom: 0px; text-align: center;"><span style="font-family: 楷体, 楷体_GB2312;">国函〔1996〕95号</span></p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;"><br> </p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-align: justify; font-family: 宋体;">武警总部：</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">关于武警总部后勤部机关及部分直属单位迁址新建<span style="text-indent: 2em;">的请示（〔1996〕武司字第82号）收悉，现批复如下：</span></p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">同意武警总部后勤部机关及部分直属单位迁址新建<span style="text-indent: 2em;">，所需建设资金由你们自筹解决，其他有关具体事宜请</span><span style="text-indent: 2em;">商北京市政府和有关部门办理。</span></p> <p style="margin-top: 0px; margin-bottom: 0px; text-align: right; font-family: 宋体;"><span style="text-indent: 2em;"><span style="color: rgb(0, 0, 0); font-family: 宋体; font-size: 16px; font-style: normal; font-variant: normal; font-weight: normal; letter-spacing: normal; line-height: 35px; orphans: auto; text-align: justify; text-indent: 32px; text-transform: none; white-space: normal; widows: auto; word-spacing: 0px; -webkit-text-stroke-width: 0px; display: inline !important; float: none; background-color: rgb(255, 255, 255);">国务院　中央军委　　　 &nbsp; &nbsp; &nbsp;</span></span></p> <p style="margin-top: 0px; margin-bottom: 0px; text-align: right; font-family: 宋体;">一九九六年十一月五日　　　 &nbsp; &nbsp;</p></td> 
 </tr> 
 <tr> 
  <td></td> 
 </tr> 
</tbody>', null, '未处理', '<div class="wrap" style="font-family:宋体;"> 
 <table width="724" border="0" cellpadding="0" cellspacing="0" style="border:1px solid #999999;margin:0 auto;margin-top:10px;"> 
  <tbody> 
   <tr> 
    <td>
     <table width="660" border="0" cellpadding="0" cellspacing="0" class="bd1" style="width:660px;margin:0 auto;margin-top:12px;"> 
      <tbody> 
       <tr> 
        <td width="70"><b>索 引 号：</b></td> 
        <td width="260">000014349/1996-00073</td> 
        <td width="70"><b>主题分类：</b></td> 
        <td width="260">国防\\国防建设</td> 
       </tr> 
       <tr> 
        <td><b>发文机关：</b></td> 
        <td>国务院、中央军委</td> 
        <td><b>成文日期：</b></td> 
        <td>1996年11月05日</td> 
       </tr> 
       <tr> 
        <td><b>标　　题：</b></td> 
        <td colspan="3">国务院、中央军委关于同意武警总部后勤部机关等迁址新建的批复</td> 
       </tr> 
       <tr> 
        <td><b>发文字号：</b></td> 
        <td>国函〔1996〕95号</td> 
        <td><b>发布日期：</b></td> 
        <td>2018年12月03日</td> 
       </tr> 
      </tbody> 
     </table> 
     <table width="660" border="0" cellpadding="0" cellspacing="0" class="bd1" style="width:660px;margin:0 auto;margin-bottom:12px;"> 
      <tbody> 
       <tr> 
        <td width="70" valign="top"><b>主 题 词：</b></td> 
        <td width="250" valign="top"></td> 
        <td width="68" valign="top"></td> 
        <td valign="top"></td> 
       </tr> 
      </tbody> 
     </table></td> 
   </tr> 
  </tbody> 
 </table> 
 <br> 
 <table width="724" border="0" cellpadding="0" cellspacing="0" style="margin:0 auto;border:1px solid #999999;"> 
  <tbody> 
   <tr> 
    <td><br> 
     <table width="650" border="0" cellpadding="0" cellspacing="0" style="margin:0 auto;"> 
      <tbody> 
       <tr> 
        <td class="b12c" id="UCAP-CONTENT"><p style="margin-top: 0px; margin-bottom: 0px; text-align: center; font-family: 宋体;"><span style="font-weight: bold; font-size: 18pt;">国务院、中央军委关于同意武警总部</span></p> <p style="margin-top: 0px; margin-bottom: 0px; text-align: center; font-family: 宋体;"><span style="font-weight: bold; font-size: 18pt;">后勤部机关等迁址新建的批复</span></p> <p style="margin-top: 0px; margin-bottom: 0px; text-align: center;"><span style="font-family: 楷体, 楷体_GB2312;">国函〔1996〕95号</span></p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;"><br> </p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-align: justify; font-family: 宋体;">武警总部：</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">关于武警总部后勤部机关及部分直属单位迁址新建<span style="text-indent: 2em;">的请示（〔1996〕武司字第82号）收悉，现批复如下：</span></p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">同意武警总部后勤部机关及部分直属单位迁址新建<span style="text-indent: 2em;">，所需建设资金由你们自筹解决，其他有关具体事宜请</span><span style="text-indent: 2em;">商北京市政府和有关部门办理。</span></p> <p style="margin-top: 0px; margin-bottom: 0px; text-align: right; font-family: 宋体;"><span style="text-indent: 2em;"><span style="color: rgb(0, 0, 0); font-family: 宋体; font-size: 16px; font-style: normal; font-variant: normal; font-weight: normal; letter-spacing: normal; line-height: 35px; orphans: auto; text-align: justify; text-indent: 32px; text-transform: none; white-space: normal; widows: auto; word-spacing: 0px; -webkit-text-stroke-width: 0px; display: inline !important; float: none; background-color: rgb(255, 255, 255);">国务院　中央军委　　　 &nbsp; &nbsp; &nbsp;</span></span></p> <p style="margin-top: 0px; margin-bottom: 0px; text-align: right; font-family: 宋体;">一九九六年十一月五日　　　 &nbsp; &nbsp;</p></td> 
       </tr> 
       <tr> 
        <td></td> 
       </tr> 
      </tbody> 
     </table> 
     <div id="pageBreak"></div> 
     <!--/enpcontent--> 
     <div id="div_div"> 
      <div id="qr_container" style="margin:auto; position:relative;">
       扫一扫在手机打开当前页
      </div> 
     </div> 
     <div id="pageBreak"></div> 
     <!-- 用来校验该浏览器是否支持HTML5 --> 
     <canvas id="Canvas"></canvas> 
     <table width="650" border="0" align="center" cellpadding="0" cellspacing="0" style="border-top:1px solid #333333;margin:0 auto;margin-top:18px;"> 
      <tbody> 
       <tr> 
        <td height="60" align="center"><img src="http://www.gov.cn/zhengce/130.files/sendmail.gif" width="43" height="18" style="margin-right:12px;display:none;"> <a href="/zhengce/content/2018-12/03/content_5345407.htm#" class="black" onclick="javascript:window.external.AddFavorite(document.URL,document.title);return false"><img src="http://www.gov.cn/zhengce/130.files/save.gif" width="70" height="18" style="margin-right:12px;"></a> <a href="/zhengce/content/2018-12/03/content_5345407.htm#" onclick="javascript:window.print()"><img src="http://www.gov.cn/zhengce/130.files/openpage.gif" width="70" height="18" style="margin-right:12px;"></a> <a href="/zhengce/content/2018-12/03/content_5345407.htm#" onclick="window.close()"><img src="http://www.gov.cn/zhengce/130.files/close.gif" width="70" height="18" style="margin-right:12px;"></a></td> 
       </tr> 
      </tbody> 
     </table> </td> 
   </tr> 
  </tbody> 
 </table> 
 <!--二维码微信微博--> 
 <!--国务院客户端  微博微信  三个链接--> 
 <!--<div class="de_bannerS" style="position: relative;">
	<img src="/govweb/xhtml/2016gov/images/public/de_bannerS.jpg">
    <a href="http://www.gov.cn/public/yidongkehuduan.htm" target="_blank" style="position: absolute; top: 1px; left: 1px; display: block; width: 528px; height: 128px; opacity: 1; background: none;"></a>
	<a href="http://www.gov.cn/home/2014-02/18/content_5046260.htm" target="_blank" style="position: absolute; top: 1px; left: 531px; width: 360px; height: 128px; opacity: 1; background: none;"></a>
</div>--> 
 <!--营改增专题  微博微信  三个链接--> 
 <div class="de_bannerS" style=" position: relative;"> 
  <img src="/govweb/xhtml/2016gov/images/public/de_bannerS_sjh.jpg"> 
  <a href="http://www.gov.cn/public/yidongkehuduan.htm" target="_blank" style="position: absolute; top: 1px; left: 1px; display: block; width: 141px; height: 128px; opacity: 0;filter:alpha(opacity=0);-khtml-opacity:0;-moz-opacity:0;"></a> 
  <a href="http://login.forum.gov.cn/html/form/suggest_wxzlsjh.html" target="_blank" style="position: absolute; top: 1px; left: 143px; width: 370px; height: 128px; opacity: 0; opacity: 0;filter:alpha(opacity=0);-khtml-opacity:0;-moz-opacity:0;"></a> 
  <a href="http://www.gov.cn/home/2014-02/18/content_5046260.htm" target="_blank" style="position: absolute; top: 1px; left: 531px; width: 360px; height: 128px; opacity: 0; opacity: 0;filter:alpha(opacity=0);-khtml-opacity:0;-moz-opacity:0;"></a> 
 </div> 
</div>', 'HTML');
