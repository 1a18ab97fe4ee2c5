insert into ge_policy_raw (id, crawl_url, crawl_time, index_number, title, release_office, release_number, policy_basis, wiritten_time, release_time, effect_time, content, image_url, status, html, remark) values (40, 'http://www.gov.cn/zhengce/content/2018-12/04/content_5345639.htm', '2019-02-17 15:29:48', '000014349/1981-00021', '国务院关于棉粮、糖粮挂钩奖售粮几个问题的通知', '国务院', '国发〔1981〕88号', null, '1981-06-23 15:29:48', '2019-01-04 15:29:48', null, '<tbody> 
 <tr> 
  <td class="b12c" id="UCAP-CONTENT"><p style="margin-top: 0px; margin-bottom: 0px; text-align: center; font-family: 宋体;"><span style="font-weight: bold; font-size: 18pt;">国务院关于棉粮、糖粮挂钩奖售粮</span></p> <p style="margin-top: 0px; margin-bottom: 0px; text-align: center; font-family: 宋体;"><span style="font-weight: bold; font-size: 18pt;">几 个 问 题 的 通 知</span></p> <p style="margin-top: 0px; margin-bottom: 0px; text-align: center;"><span style="font-family: 楷体, 楷体_GB2312;">国发〔1981〕88号</span></p> <p style="margin-top: 0px; margin-bottom: 0px; text-align: center; font-family: 宋体;"><br> </p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-align: justify; font-family: 宋体;">各省、市、自治区人民政府，国务院有关部委、直属机构：</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">为了促进棉、糖生产发展，一九八〇年九月一日国务院批转国家农委关于召开棉花、糖料生产座谈会的情况报告，决定在适宜发展棉花、糖料的地区实行棉粮、糖粮挂钩。当时，对棉粮、糖粮挂钩奖售粮的供应价格和费用负担问题未作规定。几个月来，有关省、市、自治区做了大量工作，棉粮、糖粮挂钩的政策已深入人心。但是，棉粮挂钩奖售基数有些省、市尚未落实到生产队（或其他基本核算单位，下同）。为了切实做好棉粮、糖粮挂钩奖售粮的拨付结算工作，促进棉花、糖料继续增产，现将几个具体问题通知如下：</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">一、关于棉粮挂钩的奖售基数问题。有关省、市、自治区应按国务院一九八〇年223号文件规定的基数，尽快逐级落实到生产队，不要留缺口。由于各种原因，未按国家规定的奖售基数落实到生产队或执行自定奖售办法的，只能按国家规定的奖售基数同省、市、自治区结算。并将丰歉调整机动粮按比例拨给省、市、自治区包干使用，差额部分由地方自行解决。各地应于六月底前将落实到生产队的基数情况报国家农委、农业部、粮食部、全国供销合作总社备案。</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">二、关于棉粮、糖粮挂钩奖售粮的供应价格和经营费用负担问题。奖售粮的供应价格一律按统购价执行。经营费用和亏损，列入粮食企业亏损，由地方财政统一拨补。</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">国务院决定的棉粮、糖粮挂钩是一项政策性很强的工作。各有关部门必须密切配合，真正收到成效。对弄虚作假冒领奖售粮或差价款的，要追究责任。</p> <p style="margin-top: 0px; margin-bottom: 0px; text-align: right; font-family: 宋体;">国务院&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;</p> <p style="margin-top: 0px; margin-bottom: 0px; text-align: right; font-family: 宋体;">一九八一年五月二十三日&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;</p></td> 
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
        <td width="260">000014349/1981-00021</td> 
        <td width="70"><b>主题分类：</b></td> 
        <td width="260">农业、林业、水利\\农业、畜牧业、渔业</td> 
       </tr> 
       <tr> 
        <td><b>发文机关：</b></td> 
        <td>国务院</td> 
        <td><b>成文日期：</b></td> 
        <td>1981年05月23日</td> 
       </tr> 
       <tr> 
        <td><b>标　　题：</b></td> 
        <td colspan="3">国务院关于棉粮、糖粮挂钩奖售粮几个问题的通知</td> 
       </tr> 
       <tr> 
        <td><b>发文字号：</b></td> 
        <td>国发〔1981〕88号</td> 
        <td><b>发布日期：</b></td> 
        <td>2018年12月04日</td> 
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
        <td class="b12c" id="UCAP-CONTENT"><p style="margin-top: 0px; margin-bottom: 0px; text-align: center; font-family: 宋体;"><span style="font-weight: bold; font-size: 18pt;">国务院关于棉粮、糖粮挂钩奖售粮</span></p> <p style="margin-top: 0px; margin-bottom: 0px; text-align: center; font-family: 宋体;"><span style="font-weight: bold; font-size: 18pt;">几 个 问 题 的 通 知</span></p> <p style="margin-top: 0px; margin-bottom: 0px; text-align: center;"><span style="font-family: 楷体, 楷体_GB2312;">国发〔1981〕88号</span></p> <p style="margin-top: 0px; margin-bottom: 0px; text-align: center; font-family: 宋体;"><br> </p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-align: justify; font-family: 宋体;">各省、市、自治区人民政府，国务院有关部委、直属机构：</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">为了促进棉、糖生产发展，一九八〇年九月一日国务院批转国家农委关于召开棉花、糖料生产座谈会的情况报告，决定在适宜发展棉花、糖料的地区实行棉粮、糖粮挂钩。当时，对棉粮、糖粮挂钩奖售粮的供应价格和费用负担问题未作规定。几个月来，有关省、市、自治区做了大量工作，棉粮、糖粮挂钩的政策已深入人心。但是，棉粮挂钩奖售基数有些省、市尚未落实到生产队（或其他基本核算单位，下同）。为了切实做好棉粮、糖粮挂钩奖售粮的拨付结算工作，促进棉花、糖料继续增产，现将几个具体问题通知如下：</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">一、关于棉粮挂钩的奖售基数问题。有关省、市、自治区应按国务院一九八〇年223号文件规定的基数，尽快逐级落实到生产队，不要留缺口。由于各种原因，未按国家规定的奖售基数落实到生产队或执行自定奖售办法的，只能按国家规定的奖售基数同省、市、自治区结算。并将丰歉调整机动粮按比例拨给省、市、自治区包干使用，差额部分由地方自行解决。各地应于六月底前将落实到生产队的基数情况报国家农委、农业部、粮食部、全国供销合作总社备案。</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">二、关于棉粮、糖粮挂钩奖售粮的供应价格和经营费用负担问题。奖售粮的供应价格一律按统购价执行。经营费用和亏损，列入粮食企业亏损，由地方财政统一拨补。</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">国务院决定的棉粮、糖粮挂钩是一项政策性很强的工作。各有关部门必须密切配合，真正收到成效。对弄虚作假冒领奖售粮或差价款的，要追究责任。</p> <p style="margin-top: 0px; margin-bottom: 0px; text-align: right; font-family: 宋体;">国务院&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;</p> <p style="margin-top: 0px; margin-bottom: 0px; text-align: right; font-family: 宋体;">一九八一年五月二十三日&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;</p></td> 
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
        <td height="60" align="center"><img src="http://www.gov.cn/zhengce/130.files/sendmail.gif" width="43" height="18" style="margin-right:12px;display:none;"> <a href="/zhengce/content/2018-12/04/content_5345639.htm#" class="black" onclick="javascript:window.external.AddFavorite(document.URL,document.title);return false"><img src="http://www.gov.cn/zhengce/130.files/save.gif" width="70" height="18" style="margin-right:12px;"></a> <a href="/zhengce/content/2018-12/04/content_5345639.htm#" onclick="javascript:window.print()"><img src="http://www.gov.cn/zhengce/130.files/openpage.gif" width="70" height="18" style="margin-right:12px;"></a> <a href="/zhengce/content/2018-12/04/content_5345639.htm#" onclick="window.close()"><img src="http://www.gov.cn/zhengce/130.files/close.gif" width="70" height="18" style="margin-right:12px;"></a></td> 
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
