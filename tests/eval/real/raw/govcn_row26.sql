insert into ge_policy_raw (id, crawl_url, crawl_time, index_number, title, release_office, release_number, policy_basis, wiritten_time, release_time, effect_time, content, image_url, status, html, remark) values (26, 'http://www.gov.cn/zhengce/content/2018-12/24/content_5351598.htm', '2019-02-17 15:25:58', '000014349/2006-00213', '国务院办公厅对全国政协十届四次会议第4626号提案的答复', '国务院办公厅', '国办函〔2006〕82号', null, '2006-11-18 15:25:58', '2019-01-24 15:25:58', null, '<tbody> 
 <tr> 
  <td class="b12c" id="UCAP-CONTENT"><p style="margin-top: 0px; margin-bottom: 0px; text-align: center; font-family: 宋体;"><span style="font-size: 18pt; font-weight: bold;">国务院办公厅对全国政协十届</span><span style="font-size: 18pt; font-weight: bold;">四次会议</span></p> <p style="margin-top: 0px; margin-bottom: 0px; text-align: center; font-family: 宋体;"><span style="font-size: 18pt; font-weight: bold;">第4626号提案的答复</span></p> <p style="margin-top: 0px; margin-bottom: 0px; text-align: center;"><span style="font-family: 楷体, 楷体_GB2312;">国办函〔2006〕82号</span></p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-align: justify; font-family: 宋体;"><br> </p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-align: justify; font-family: 宋体;">王超斌委员：</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">您提出的《关于设立总理热线电话的提案》收悉。经研究，答复如下：</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">推进政务公开，实行科学民主决策是政府工作的一项基本制度。温家宝总理等国务院领导同志多次指出，各级政府要不断加强制度建设，提高政府工作的透明度，积极开辟多种渠道，了解人民群众的愿望和呼声，倾听群众的意见。目前，国务院通过建立多种途径来落实这一要求。</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">在国务院重大决策出台前，温家宝总理和有关领导同志都要召开座谈会，亲自听取社会各界人士和专家的意见和建议。对有关专题，国务院领导同志还深入实际进行调查研究。对与人民群众利益密切相关的重大事项，国务院及有关部门都要向社会公开征求意见或召开听证会，使群众的意见和建议在政府决策过程中更多地得到体现。</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">信访是保证民意畅通的一个重要渠道。人民群众向国务院领导同志反映的重要意见和建议，国家信访局都及时报送国务院领导同志。温家宝总理等国务院领导同志经常亲自批阅人民群众的来信，要求各级政府依法行政，及时解决存在的问题，为人民群众排忧解难；对专家提出的重要意见和建议都批请有关部门研究办理。</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">今年初，中央政府门户网站正式开通，通过在线访谈、网上调查和意见征集等形式，积极开展中央政府与公众的互动交流。这些措施将进一步方便人民群众及时反映意见和建议。</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">总的来看，国务院及有关部门与人民群众联系的方式和沟通渠道日益增多，反映社情民意的渠道是畅通的。国务院办公厅将不断改进有关工作，进一步提高为政府与人民群众联系沟通服务的水平。</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">感谢您对政府工作的关心与支持。</p> <p style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: right; font-family: 宋体;">国务院办公厅 &nbsp; &nbsp; &nbsp; &nbsp; &nbsp; &nbsp;</p> <p style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: right; font-family: 宋体;">二〇〇六年十月十八日 &nbsp; &nbsp; &nbsp; &nbsp;</p> <p style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: left; font-family: 宋体;">（本文有删减）</p></td> 
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
        <td width="260">000014349/2006-00213</td> 
        <td width="70"><b>主题分类：</b></td> 
        <td width="260">其他</td> 
       </tr> 
       <tr> 
        <td><b>发文机关：</b></td> 
        <td>国务院办公厅</td> 
        <td><b>成文日期：</b></td> 
        <td>2006年10月18日</td> 
       </tr> 
       <tr> 
        <td><b>标　　题：</b></td> 
        <td colspan="3">国务院办公厅对全国政协十届四次会议第4626号提案的答复</td> 
       </tr> 
       <tr> 
        <td><b>发文字号：</b></td> 
        <td>国办函〔2006〕82号</td> 
        <td><b>发布日期：</b></td> 
        <td>2018年12月24日</td> 
       </tr> 
      </tbody> 
     </table> 
     <table width="660" border="0" cellpadding="0" cellspacing="0" class="bd1" style="width:660px;margin:0 auto;margin-bottom:12px;"> 
      <tbody> 
       <tr> 
        <td width="70" valign="top"><b>主 题 词：</b></td> 
        <td width="250" valign="top">文秘工作　提案　函</td> 
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
        <td class="b12c" id="UCAP-CONTENT"><p style="margin-top: 0px; margin-bottom: 0px; text-align: center; font-family: 宋体;"><span style="font-size: 18pt; font-weight: bold;">国务院办公厅对全国政协十届</span><span style="font-size: 18pt; font-weight: bold;">四次会议</span></p> <p style="margin-top: 0px; margin-bottom: 0px; text-align: center; font-family: 宋体;"><span style="font-size: 18pt; font-weight: bold;">第4626号提案的答复</span></p> <p style="margin-top: 0px; margin-bottom: 0px; text-align: center;"><span style="font-family: 楷体, 楷体_GB2312;">国办函〔2006〕82号</span></p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-align: justify; font-family: 宋体;"><br> </p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-align: justify; font-family: 宋体;">王超斌委员：</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">您提出的《关于设立总理热线电话的提案》收悉。经研究，答复如下：</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">推进政务公开，实行科学民主决策是政府工作的一项基本制度。温家宝总理等国务院领导同志多次指出，各级政府要不断加强制度建设，提高政府工作的透明度，积极开辟多种渠道，了解人民群众的愿望和呼声，倾听群众的意见。目前，国务院通过建立多种途径来落实这一要求。</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">在国务院重大决策出台前，温家宝总理和有关领导同志都要召开座谈会，亲自听取社会各界人士和专家的意见和建议。对有关专题，国务院领导同志还深入实际进行调查研究。对与人民群众利益密切相关的重大事项，国务院及有关部门都要向社会公开征求意见或召开听证会，使群众的意见和建议在政府决策过程中更多地得到体现。</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">信访是保证民意畅通的一个重要渠道。人民群众向国务院领导同志反映的重要意见和建议，国家信访局都及时报送国务院领导同志。温家宝总理等国务院领导同志经常亲自批阅人民群众的来信，要求各级政府依法行政，及时解决存在的问题，为人民群众排忧解难；对专家提出的重要意见和建议都批请有关部门研究办理。</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">今年初，中央政府门户网站正式开通，通过在线访谈、网上调查和意见征集等形式，积极开展中央政府与公众的互动交流。这些措施将进一步方便人民群众及时反映意见和建议。</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">总的来看，国务院及有关部门与人民群众联系的方式和沟通渠道日益增多，反映社情民意的渠道是畅通的。国务院办公厅将不断改进有关工作，进一步提高为政府与人民群众联系沟通服务的水平。</p> <p align="" style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: justify; font-family: 宋体;">感谢您对政府工作的关心与支持。</p> <p style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: right; font-family: 宋体;">国务院办公厅 &nbsp; &nbsp; &nbsp; &nbsp; &nbsp; &nbsp;</p> <p style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: right; font-family: 宋体;">二〇〇六年十月十八日 &nbsp; &nbsp; &nbsp; &nbsp;</p> <p style="margin-top: 0px; margin-bottom: 0px; text-indent: 2em; text-align: left; font-family: 宋体;">（本文有删减）</p></td> 
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
        <td height="60" align="center"><img src="http://www.gov.cn/zhengce/130.files/sendmail.gif" width="43" height="18" style="margin-right:12px;display:none;"> <a href="/zhengce/content/2018-12/24/content_5351598.htm#" class="black" onclick="javascript:window.external.AddFavorite(document.URL,document.title);return false"><img src="http://www.gov.cn/zhengce/130.files/save.gif" width="70" height="18" style="margin-right:12px;"></a> <a href="/zhengce/content/2018-12/24/content_5351598.htm#" onclick="javascript:window.print()"><img src="http://www.gov.cn/zhengce/130.files/openpage.gif" width="70" height="18" style="margin-right:12px;"></a> <a href="/zhengce/content/2018-12/24/content_5351598.htm#" onclick="window.close()"><img src="http://www.gov.cn/zhengce/130.files/close.gif" width="70" height="18" style="margin-right:12px;"></a></td> 
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
