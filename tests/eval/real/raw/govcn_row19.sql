insert into ge_policy_raw (id, crawl_url, crawl_time, index_number, title, release_office, release_number, policy_basis, wiritten_time, release_time, effect_time, content, image_url, status, html, remark) values (19, 'http://www.gov.cn/zhengce/content/2018-12/24/content_5351718.htm', '2019-02-17 15:23:02', '000014349/1996-00077', '国务院办公厅、中央军委办公厅关于加强对侵华日军遗弃化学武器调查和管理工作的通知', '国务院办公厅、中央军委办公厅', '国办发〔1996〕25号', null, '1996-07-29 15:23:02', '2019-01-24 15:23:02', null, '<tbody> 
 <tr> 
  <td class="b12c" id="UCAP-CONTENT"><p style="margin-top: 0px; margin-bottom: 0px; text-align: center; font-family: 宋体;"><span style="font-weight: bold;"><span style="font-size: 18pt;">国务院办公厅、中央军委办公厅</span><br> <span style="font-size: 18pt;">关于加强对侵华日军遗弃化学武器<br> 调查和管理工作的通知</span></span></p> <p style="margin-top: 0px; margin-bottom: 0px; text-align: center;"><span style="font-family: 楷体, 楷体_GB2312;">国办发〔1996〕25号</span></p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-align: justify; font-family: 宋体;"><br> </p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-align: justify; font-family: 宋体;">北京市、天津市、河北省、山西省、内蒙古自治区、辽宁省、吉林省、黑龙江省、上海市、江苏省、浙江省、安徽省、福建省、江西省、山东省、河南省、湖北省、湖南省、广东省、广西壮族自治区、陕西省、甘肃省人民政府，沈阳、北京、兰州、济南、南京、广州军区：</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">日本军国主义在侵华战争中，公然违背国际法准则，使用化学武器，毒害中国军队和无辜民众。1945年战败日军为了掩盖其使用化学武器的罪行，将大量化学武器掩埋或投入江河、弃置深山野岭。抗日战争胜利50多年来，我国人民多次遭受这些化学武器的伤害。经我多年的外交斗争和努力，日本政府已允诺履行关于禁止化学武器国际公约规定的销毁遗弃化学武器的义务。为彻底消除这一威胁我国生态环境和人民生命安全的隐患，必须进一步加强调查取证和有关管理工作，现通知如下：</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">一、日军遗弃化学武器是历史遗留问题，敏感性、专业性较强，情况复杂。因此，这项工作由外交部和总参谋部统一归口管理，有关省、自治区、直辖市及军区也要相应指定有关部门负责管理。</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">二、要加强对日军遗弃化学武器的调查取证工作，设法查找日军在我国储存化学武器、部署化学部队等文件资料和战败时处理化学武器的命令、指示等资料。同时抓紧查找当年参与掩埋化学武器的当事者和目击者，了解日军掩埋化学武器的地点、数量等情况。对日军遗弃化学武器毒害我人员的数量、状况，以及危害我国生态环境等情况，也要认真做好调查取证工作。</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">上述调查取证工作中的情况，要及时上报。</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">三、对已发现的日军遗弃的化学武器，其技术处理和有关管理工作由军队各级防化业务部门负责。对遗弃化学武器的埋藏点和保管点，要采取措施加强管理，完善设备，确保安全。任何单位和个人如发现遗弃的化学武器，都要立即逐级上报，不得擅自处理。</p> <p style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: right; font-family: 宋体;">国务院办公厅　中央军委办公厅 &nbsp; &nbsp; &nbsp; &nbsp; &nbsp;&nbsp;</p> <p style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: right; font-family: 宋体;">&nbsp;一九九六年六月二十九日 &nbsp; &nbsp; &nbsp; &nbsp; &nbsp; &nbsp;&nbsp;</p></td> 
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
        <td width="260">000014349/1996-00077</td> 
        <td width="70"><b>主题分类：</b></td> 
        <td width="260">国防\\国防动员</td> 
       </tr> 
       <tr> 
        <td><b>发文机关：</b></td> 
        <td>国务院办公厅、中央军委办公厅</td> 
        <td><b>成文日期：</b></td> 
        <td>1996年06月29日</td> 
       </tr> 
       <tr> 
        <td><b>标　　题：</b></td> 
        <td colspan="3">国务院办公厅、中央军委办公厅关于加强对侵华日军遗弃化学武器调查和管理工作的通知</td> 
       </tr> 
       <tr> 
        <td><b>发文字号：</b></td> 
        <td>国办发〔1996〕25号</td> 
        <td><b>发布日期：</b></td> 
        <td>2018年12月24日</td> 
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
        <td class="b12c" id="UCAP-CONTENT"><p style="margin-top: 0px; margin-bottom: 0px; text-align: center; font-family: 宋体;"><span style="font-weight: bold;"><span style="font-size: 18pt;">国务院办公厅、中央军委办公厅</span><br> <span style="font-size: 18pt;">关于加强对侵华日军遗弃化学武器<br> 调查和管理工作的通知</span></span></p> <p style="margin-top: 0px; margin-bottom: 0px; text-align: center;"><span style="font-family: 楷体, 楷体_GB2312;">国办发〔1996〕25号</span></p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-align: justify; font-family: 宋体;"><br> </p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-align: justify; font-family: 宋体;">北京市、天津市、河北省、山西省、内蒙古自治区、辽宁省、吉林省、黑龙江省、上海市、江苏省、浙江省、安徽省、福建省、江西省、山东省、河南省、湖北省、湖南省、广东省、广西壮族自治区、陕西省、甘肃省人民政府，沈阳、北京、兰州、济南、南京、广州军区：</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">日本军国主义在侵华战争中，公然违背国际法准则，使用化学武器，毒害中国军队和无辜民众。1945年战败日军为了掩盖其使用化学武器的罪行，将大量化学武器掩埋或投入江河、弃置深山野岭。抗日战争胜利50多年来，我国人民多次遭受这些化学武器的伤害。经我多年的外交斗争和努力，日本政府已允诺履行关于禁止化学武器国际公约规定的销毁遗弃化学武器的义务。为彻底消除这一威胁我国生态环境和人民生命安全的隐患，必须进一步加强调查取证和有关管理工作，现通知如下：</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">一、日军遗弃化学武器是历史遗留问题，敏感性、专业性较强，情况复杂。因此，这项工作由外交部和总参谋部统一归口管理，有关省、自治区、直辖市及军区也要相应指定有关部门负责管理。</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">二、要加强对日军遗弃化学武器的调查取证工作，设法查找日军在我国储存化学武器、部署化学部队等文件资料和战败时处理化学武器的命令、指示等资料。同时抓紧查找当年参与掩埋化学武器的当事者和目击者，了解日军掩埋化学武器的地点、数量等情况。对日军遗弃化学武器毒害我人员的数量、状况，以及危害我国生态环境等情况，也要认真做好调查取证工作。</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">上述调查取证工作中的情况，要及时上报。</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">三、对已发现的日军遗弃的化学武器，其技术处理和有关管理工作由军队各级防化业务部门负责。对遗弃化学武器的埋藏点和保管点，要采取措施加强管理，完善设备，确保安全。任何单位和个人如发现遗弃的化学武器，都要立即逐级上报，不得擅自处理。</p> <p style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: right; font-family: 宋体;">国务院办公厅　中央军委办公厅 &nbsp; &nbsp; &nbsp; &nbsp; &nbsp;&nbsp;</p> <p style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: right; font-family: 宋体;">&nbsp;一九九六年六月二十九日 &nbsp; &nbsp; &nbsp; &nbsp; &nbsp; &nbsp;&nbsp;</p></td> 
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
        <td height="60" align="center"><img src="http://www.gov.cn/zhengce/130.files/sendmail.gif" width="43" height="18" style="margin-right:12px;display:none;"> <a href="/zhengce/content/2018-12/24/content_5351718.htm#" class="black" onclick="javascript:window.external.AddFavorite(document.URL,document.title);return false"><img src="http://www.gov.cn/zhengce/130.files/save.gif" width="70" height="18" style="margin-right:12px;"></a> <a href="/zhengce/content/2018-12/24/content_5351718.htm#" onclick="javascript:window.print()"><img src="http://www.gov.cn/zhengce/130.files/openpage.gif" width="70" height="18" style="margin-right:12px;"></a> <a href="/zhengce/content/2018-12/24/content_5351718.htm#" onclick="window.close()"><img src="http://www.gov.cn/zhengce/130.files/close.gif" width="70" height="18" style="margin-right:12px;"></a></td> 
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
